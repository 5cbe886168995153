from tokenlint.cli import main

main()
