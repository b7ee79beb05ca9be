"""Built-in rule plugins, one module per rule family."""
