"""Declarative rule packs (TOML data): vocabularies, grammars, required tables."""
