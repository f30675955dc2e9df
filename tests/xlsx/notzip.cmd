eval -f csv kinds.rubric notzip.xlsx
