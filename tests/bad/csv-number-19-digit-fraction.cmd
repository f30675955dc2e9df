eval -f csv base.rubric in/csv-number-19-digit-fraction.csv
