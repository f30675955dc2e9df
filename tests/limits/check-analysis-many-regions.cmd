check --verbose analysis-many-regions.rubric
