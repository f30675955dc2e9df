render -f md twenty-raters.rubric
