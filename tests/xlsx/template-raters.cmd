template raters.rubric
