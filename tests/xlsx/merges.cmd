eval -f csv numbers.rubric merges.xlsx
