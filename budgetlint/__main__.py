from budgetlint.cli import main

main()
