eval -f csv base.rubric in/csv-unbalanced-quote.csv
