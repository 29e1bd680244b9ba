/* The default partition set: filled in with the memory-region table. */
