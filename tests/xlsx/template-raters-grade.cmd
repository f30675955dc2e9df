template raters-grade.rubric
