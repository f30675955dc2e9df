check -v edition2/满分推断.rubric
