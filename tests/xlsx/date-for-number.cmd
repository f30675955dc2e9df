eval -f csv kinds-date.rubric kinds.xlsx
