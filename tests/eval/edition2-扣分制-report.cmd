report edition2/扣分制.rubric edition2/team.csv
