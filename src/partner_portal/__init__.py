"""Partner program portal: program data checks and the portal site built from them."""

__version__ = "0.1.0"
