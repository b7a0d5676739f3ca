"""Program releases: what changed between two versions, the release rule, records, git."""
