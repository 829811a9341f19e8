"""asv benchmark suites for ctorch (see asv.conf.json at the repository root)."""
