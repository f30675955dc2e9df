template -f xlsx kinds.rubric
