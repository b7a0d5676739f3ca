"""Reading files safely: text, strict YAML with positions, CSV with row numbers."""
