test bool-yes-no.rubric
