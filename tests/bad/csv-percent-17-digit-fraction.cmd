eval -f csv base.rubric in/csv-percent-17-digit-fraction.csv
