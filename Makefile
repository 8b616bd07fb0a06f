# cachelab: the two commands of README.md.
#   make demo   install missing Debian packages, build (Release, Ninja), run the flagship scenario
#   make test   the same set-up, then build and run every test through CTest
# Everything else here is a step of those two.

BUILD ?= build
JOBS  ?= $(shell nproc)

# Every Debian package the build, the tests, live mode and the GUI need (README.md says why each is there).
PACKAGES := cmake g++ ninja-build pkg-config make \
  libboost-graph-dev libeigen3-dev nlohmann-json3-dev libcli11-dev libzstd-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  libhiredis-dev redis-server redis-tools \
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev fonts-dejavu-core

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps configure build demo test bench clean

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

bench: build
	./$(BUILD)/tests/cachelab_bench

clean:
	rm -rf $(BUILD)
