"""gunicorn's settings for educational: ``gunicorn -c gunicorn.conf.py wsgi:app`` (gunicorn
also reads this file by itself when started from this folder).

Other settings (workers, bind, timeout) stay on the command line or in GUNICORN_CMD_ARGS.
The start hook checks what the app cannot see for itself: how many workers will serve it.
With more than one, the rate limits hold only if the workers share their counts; memory://
storage gives each worker its own, which multiplies every limit (10 failed log-ins a minute
against a limit of 5 with 2 workers), so production refuses to start that way."""


def on_starting(server) -> None:
    from educational import ConfigurationError, create_app
    from educational.core.extensions import limits_are_per_process

    try:
        # The app's configuration exactly as the workers will read it (defaults, instance
        # config, EDUCATIONAL_* variables), and any start-up error said once, here.
        config = create_app().config
    except ConfigurationError as error:
        raise RuntimeError(str(error)) from None  # gunicorn prints "Error: ..." and exits 1
    workers = server.cfg.workers
    if (
        workers > 1
        and config["ENV"] == "production"
        and config["RATELIMIT_ENABLED"]
        and limits_are_per_process(config)
    ):
        raise RuntimeError(
            f"{workers} workers with rate limits kept in each worker's memory "
            "(RATELIMIT_STORAGE_URI is memory://) would give every worker its own budget, "
            f"so the log-in limits would be {workers} times too loose. Set "
            "EDUCATIONAL_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (pip install "
            "'.[redis]'), or run one worker (--workers 1)."
        )
