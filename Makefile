# cachelab: the two commands of README.md.
#   make demo   install missing Debian packages, build (Release, Ninja), run the flagship scenario
#   make test   the same set-up, then build and run every test through CTest
#   make ci     what CI runs (.ci/run): make test, then make sanitize and a short make fuzz
#   make sanitize  the unit tests built with Clang + AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   make fuzz   every libFuzzer target for FUZZ_SECONDS each (tests/fuzz/run.sh; same build-asan/)
# Everything else here is a step of those.

BUILD ?= build
JOBS  ?= $(shell nproc)

# Every Debian package the build, the tests, live mode and the GUI need (README.md says why each is there).
PACKAGES := cmake g++ ninja-build pkg-config make \
  libboost-graph-dev libeigen3-dev nlohmann-json3-dev libcli11-dev libzstd-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  libhiredis-dev redis-server redis-tools \
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev fonts-dejavu-core \
  clang-14 libclang-rt-14-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

ASAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 60
FUZZERS := fuzz_scenario fuzz_trace_oracle fuzz_trace_csv fuzz_trace_txt fuzz_trace_zst fuzz_results fuzz_resp

.PHONY: deps configure build demo test bench clean ci sanitize-configure sanitize fuzz

deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	else echo "all $(words $(PACKAGES)) Debian packages present"; fi

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/sim/cachelab run scenarios/flash-sale.json

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 900

# One Clang build serves both: every object is compiled with ASan + UBSan (any report aborts) and libFuzzer's
# coverage hooks; -O1 as ASan recommends. The unit tests (and the fuzz corpus and regressions, label unit) run in it.
sanitize-configure: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" -DCACHELAB_SANITIZE=ON -DCACHELAB_FUZZ=ON -DCACHELAB_GUI=OFF

sanitize: sanitize-configure
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target cachelab cachelab_tests $(addsuffix _replay,$(FUZZERS))
	ctest --test-dir $(ASAN_BUILD) -L unit --output-on-failure -j $(JOBS) --timeout 900

fuzz: sanitize-configure
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target $(FUZZERS)
	tests/fuzz/run.sh $(ASAN_BUILD) $(FUZZ_SECONDS)

ci: test
	$(MAKE) sanitize
	$(MAKE) fuzz FUZZ_SECONDS=30

bench: build
	./$(BUILD)/tests/cachelab_bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
