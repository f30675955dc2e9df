eval -f json edition2/评价人否决.rubric edition2/评价人否决.csv
