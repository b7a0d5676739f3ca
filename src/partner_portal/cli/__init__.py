"""The `portal` command line."""
