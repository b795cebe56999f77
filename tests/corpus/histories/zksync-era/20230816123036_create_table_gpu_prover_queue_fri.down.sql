DROP TABLE IF exists gpu_prover_queue_fri;
