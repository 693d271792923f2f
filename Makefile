# The two commands of the README, and a few more for developers.
#   make demo   set up, build (release), ingest the bundled demo sources, process, serve
#   make test   set up, build, run the whole test suite through ctest
JOBS ?= 2

.PHONY: demo test setup build release clean format

setup:
	@./scripts/setup

build: setup
	cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DND_BUILD_TESTS=ON
	cmake --build build -j $(JOBS)

release: setup
	cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DND_BUILD_TESTS=OFF
	cmake --build build-release -j $(JOBS)

test: build
	cd build && ctest --output-on-failure -j $(JOBS) --timeout 900

demo: release
	./scripts/demo

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build build-release

# Robustness (issue 9): fuzz every libFuzzer target for FUZZ_SECONDS each (clang, ASan,
# UBSan); run the whole suite in an ASan + UBSan build (build-asan/).
.PHONY: fuzz test-asan
FUZZ_SECONDS ?= 60
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) ./fuzz/run.sh

test-asan: setup
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DND_BUILD_TESTS=ON \
	  -DND_SANITIZE=address,undefined
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900 $(ASAN_CTEST_ARGS)

# Packaging (issue 10): `make package` builds build-release/newsdesk_<version>_<arch>.deb
# (CPack); `make install [PREFIX=/usr/local] [DESTDIR=...]` installs the release build
# (binary, config, systemd unit, man page, docs; see cmake/NdPackaging.cmake).
.PHONY: package install
PREFIX ?= /usr/local
package: release
	cmake --build build-release --target package -j $(JOBS)
	@ls build-release/newsdesk_*.deb

install: release
	DESTDIR="$(DESTDIR)" cmake --install build-release --prefix "$(PREFIX)"
