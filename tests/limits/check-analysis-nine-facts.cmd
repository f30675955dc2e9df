check --verbose analysis-nine-facts.rubric
