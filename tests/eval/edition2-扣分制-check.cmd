check edition2/扣分制.rubric
