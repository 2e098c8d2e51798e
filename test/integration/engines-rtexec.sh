#!/bin/sh
# The real engines of engines.sh with rtexec-runc as their runtime: everything they see must
# be what runc gives them (same assertions), the exec being rtexec's (its sealed copy, its own
# errors reaching the engine, the init's confinement).
ENGINE_RUNTIME=${RTEXEC_FRONT:-$(cd "$(dirname "$0")/../.." && pwd)/build/bin/rtexec-runc}
ENGINE_EXPECT_RTEXEC=1
export ENGINE_RUNTIME ENGINE_EXPECT_RTEXEC
# shellcheck source=test/integration/engines.sh
. "$(dirname "$0")/engines.sh"
