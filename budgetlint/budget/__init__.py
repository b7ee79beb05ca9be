"""Budget semantics: what the tables, projects and narrative of a disclosure say."""
