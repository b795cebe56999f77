DROP TABLE IF EXISTS vm_runner_protective_reads;
