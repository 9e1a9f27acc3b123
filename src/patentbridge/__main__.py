from patentbridge.cli import main

# Guarded: helper processes started with "spawn" import this module as __mp_main__.
if __name__ == "__main__":
    main()
