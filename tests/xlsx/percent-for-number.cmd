eval -f csv kinds-number.rubric kinds.xlsx
