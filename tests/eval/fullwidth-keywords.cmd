test fullwidth/全角关键字.rubric
