# The README's commands. Each installs what is missing, builds, then does its job.
.PHONY: run test bench build bootstrap format tidy clean

JOBS ?= $(shell nproc)

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target vidgen

# The platform on its embedded defaults: SQLite, media and the first admin key under ./data, memory cache.
run: build
	./build/release/src/app/vidgen serve --data-dir data

test: bootstrap
	@cmake --preset ci >/dev/null
	@cmake --build --preset ci -j $(JOBS)
	@ctest --preset ci

bench: build
	@cmake --build --preset release -j $(JOBS) --target static_run_bench store_insert_bench \
		cluster_queue_bench cluster_cache_bench
	bench/render
	bench/long-render
	./build/release/bench/static_run_bench
	bench/api
	./build/release/bench/store_insert_bench
	bench/cluster

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

tidy:
	@scripts/tidy

clean:
	rm -rf build out
