eval -f csv fast/多项.rubric fast/多项.csv
