"""The portal site: its pages, tables, tools and downloads, and the MkDocs glue."""
