eval -f csv base.rubric in/csv-quote-inside-cell.csv
