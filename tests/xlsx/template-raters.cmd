template tests/xlsx/raters.rubric
