template -f xlsx ../xlsx/kinds.rubric
