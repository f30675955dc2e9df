template raters-show.rubric
