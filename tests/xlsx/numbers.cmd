eval -f csv numbers.rubric numbers.xlsx
