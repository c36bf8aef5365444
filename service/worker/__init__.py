"""The scheduler process: APScheduler, the thread pool and the job kinds it runs."""
