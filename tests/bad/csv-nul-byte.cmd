eval -f csv base.rubric in/csv-nul-byte.csv
