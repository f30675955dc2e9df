eval -f xlsx kinds.rubric kinds.csv
