"""The program and its ideas: requirements, KPI thresholds, bands, rates, assessment scoring."""
