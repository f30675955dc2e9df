eval -f csv in/chain.rubric in/chain.csv
