"""The only printers: findings and release changes as text, JSON, GitHub annotations, JUnit, Markdown."""
