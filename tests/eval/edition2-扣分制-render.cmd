render -f md edition2/扣分制.rubric
