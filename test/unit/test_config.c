/* parse_saved(): every way a document can be wrong, with the exact message a user sees, and
 * the fields of the documents it accepts. JSON in the tables is written with ' for ", which
 * q() turns back, so the documents stay readable. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "jsonutil.h"
#include "tap.h"

/* The kernel limit CPU lists are checked against here (x86-64 allows up to 8192). */
#define NCPUS 65536

/* With --corpus DIR, every document the tests parse is also written to DIR, one file each:
 * the seed corpus of the fuzzer (test/fuzz). A leading blank marks "args from the CLI". */
static const char *corpus_dir;

static int parse_saved(const char *text, size_t len, bool args_given, size_t ncpus,
		       struct config *c, struct rterr *e)
{
	static unsigned n;
	char path[4096];
	FILE *f;

	if (corpus_dir) {
		snprintf(path, sizeof(path), "%s/unit-%04u.json", corpus_dir, n++);
		if ((f = fopen(path, "w")) != NULL) {
			if (args_given)
				fputc(' ', f);
			fwrite(text, 1, len, f);
			fclose(f);
		}
	}
	return config_parse(text, len, args_given, ncpus, c, e);
}

/* The document with every ' replaced by ". */
static char *q(const char *json)
{
	char *s = strdup(json);

	for (char *p = s; p && *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

/* A printable, one-line rendering of a document for test names. */
static const char *shown(char *buf, size_t n, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	if (o + 5 >= n)
		snprintf(buf + n - 4, 4, "...");
	return buf;
}

struct bad {
	const char *json;
	bool args_given;
	const char *msg;
};

/* Building blocks: a valid target and a valid process. */
#define T "'target':{'pid':1}"
#define A "'process':{'args':['/bin/sh']}"
/* A document that is valid but for x at the top level. */
#define TOP(x) "{" T "," A "," x "}"
/* ... inside "process". */
#define PROC(x) "{" T ",'process':{'args':['/bin/sh']," x "}}"
/* ... inside "process.user". */
#define USER(x) PROC("'user':{" x "}")
/* ... as "namespaces". */
#define NS(x) TOP("'namespaces':" x)
#define PID(x) "{'target':{'pid':" x "}," A "}"
#define TGT(x) "{'target':{" x "}," A "}"
/* ... as "process.rlimits", "process.capabilities", "process.ioPriority". */
#define RL(x) PROC("'rlimits':" x)
#define RL1(x) RL("[{" x "}]")
#define NOFILE(soft, hard) RL1("'type':'RLIMIT_NOFILE','soft':" soft ",'hard':" hard)
#define CAPS(x) PROC("'capabilities':" x)
#define IOP(x) PROC("'ioPriority':" x)

/* clang-format off */
static const struct bad bad[] = {
	/* The document as a whole. */
	{ "", false, "empty document: expected a JSON object" },
	{ " \n\t\r\n ", false, "empty document: expected a JSON object" },
	{ "{", false, "line 1 column 1: invalid JSON" },
	{ "{'target':", false, "line 1 column 10: invalid JSON" },
	{ "{'a':}", false, "line 1 column 6: invalid JSON" },
	{ "{'a':1,}", false, "line 1 column 8: invalid JSON" },
	{ "{'a' 1}", false, "line 1 column 6: invalid JSON" },
	{ "{'a':[1,]}", false, "line 1 column 9: invalid JSON" },
	{ "{'a':tru}", false, "line 1 column 6: invalid JSON" },
	{ "{'a':'\\x'}", false, "line 1 column 7: invalid JSON" },
	{ "{\n  'target': {'pid': 1},\n  'x': tru\n}", false, "line 3 column 8: invalid JSON" },
	{ "{" T "," A "}}", false, "line 1 column 52: trailing data after the JSON document" },
	{ "{}{}", false, "line 1 column 3: trailing data after the JSON document" },
	{ "{} x", false, "line 1 column 4: trailing data after the JSON document" },
	{ "{}\r\n\n  //", false, "line 3 column 3: trailing data after the JSON document" },
	{ "{}\f", false, "line 1 column 3: trailing data after the JSON document" },
	{ "[]", false, "document: expected an object" },
	{ "'{}'", false, "document: expected an object" },
	{ "1", false, "document: expected an object" },
	{ "null", false, "document: expected an object" },
	{ "true", false, "document: expected an object" },

	/* NUL bytes, escaped; raw ones are tested below. */
	{ "{'a\\u0000':1}", false, "line 1 column 4: NUL bytes are not allowed" },
	{ "{" T ",'process':{'args':['a\\u0000b']}}", false,
	  "line 1 column 42: NUL bytes are not allowed" },
	{ "{'a':'\\'\\u0000'}", false, "line 1 column 9: NUL bytes are not allowed" },
	{ "{\n" T ",\n'process':{'env':['A=\\u0000']}}", false,
	  "line 3 column 22: NUL bytes are not allowed" },
	/* An escaped backslash followed by "u0000" is six characters, not a NUL. */
	{ "{'a':'\\\\u0000'}", false, "a: unknown key" },

	/* Keys. */
	{ "{'foo':1}", false, "foo: unknown key" },
	{ "{'Target':{'pid':1}}", false, "Target: unknown key" },
	{ "{'':1}", false, ": unknown key" },
	{ TOP("'foo':null"), false, "foo: unknown key" },
	{ "{" T "," T "," A "}", false, "target: key given twice" },
	{ "{" T "," A "," A "}", false, "process: key given twice" },
	{ TGT("'pid':1,'pid':2"), false, "target.pid: key given twice" },
	{ TGT("'pid':1,'foo':2"), false, "target.foo: unknown key" },

	/* target */
	{ "{}", false, "target: is required" },
	{ "{" A "}", false, "target: is required" },
	{ "{'target':1," A "}", false, "target: expected an object" },
	{ "{'target':null," A "}", false, "target: expected an object" },
	{ "{'target':[{'pid':1}]," A "}", false, "target: expected an object" },
	{ TGT(""), false, "target: exactly one of \"pid\" and \"pidFile\" is required" },
	{ TGT("'pid':1,'pidFile':'/run/x.pid'"), false,
	  "target: exactly one of \"pid\" and \"pidFile\" is required" },
	{ TGT("'startTime':5"), false,
	  "target: exactly one of \"pid\" and \"pidFile\" is required" },
	{ PID("'1'"), false, "target.pid: expected an integer" },
	{ PID("1.5"), false, "target.pid: expected an integer" },
	{ PID("true"), false, "target.pid: expected an integer" },
	{ PID("null"), false, "target.pid: expected an integer" },
	{ PID("[1]"), false, "target.pid: expected an integer" },
	{ PID("-1"), false, "target.pid: -1 is out of range (0..4194304)" },
	{ PID("0"), false, "target.pid: must be a positive pid" },
	{ PID("-0"), false, "target.pid: must be a positive pid" },
	{ PID("4194305"), false, "target.pid: 4194305 is out of range (0..4194304)" },
	{ PID("1e300"), false, "target.pid: expected an integer" },
	{ PID("1e400"), false, "target.pid: expected an integer" },
	{ PID("-1e400"), false, "target.pid: expected an integer" },
	{ PID("1.0"), false, "target.pid: expected an integer" },
	{ PID("1e0"), false, "target.pid: expected an integer" },
	{ PID("99999999999999999999999"), false, "target.pid: 99999999999999999999999 is out of range (0..4194304)" },
	{ TGT("'pidFile':1"), false, "target.pidFile: expected a string" },
	{ TGT("'pidFile':''"), false, "target.pidFile: must not be empty" },
	{ TGT("'pidFile':null"), false, "target.pidFile: expected a string" },
	{ TGT("'pid':1,'startTime':-1"), false,
	  "target.startTime: -1 is out of range (0..9007199254740991)" },
	{ TGT("'pid':1,'startTime':1.5"), false, "target.startTime: expected an integer" },
	{ TGT("'pid':1,'startTime':'123'"), false, "target.startTime: expected an integer" },
	/* Above 2^53 a double no longer holds every integer: refused, never rounded. */
	{ TGT("'pid':1,'startTime':9007199254740994"), false,
	  "target.startTime: 9007199254740994 is out of range (0..9007199254740991)" },

	/* namespaces */
	{ NS("'net'"), false, "namespaces: expected an array" },
	{ NS("{}"), false, "namespaces: expected an array" },
	{ NS("null"), false, "namespaces: expected an array" },
	{ NS("['foo']"), false, "namespaces[0]: unknown namespace type \"foo\"" },
	{ NS("['NET']"), false, "namespaces[0]: unknown namespace type \"NET\"" },
	{ NS("['pid','mnt ']"), false, "namespaces[1]: unknown namespace type \"mnt \"" },
	{ NS("['net',1]"), false, "namespaces[1]: expected a string" },
	{ NS("[null]"), false, "namespaces[0]: expected a string" },
	{ NS("[['net']]"), false, "namespaces[0]: expected a string" },
	{ NS("['']"), false, "namespaces[0]: must not be empty" },
	{ NS("['pid','pid']"), false, "namespaces[1]: namespace type \"pid\" given twice" },
	{ NS("['net','network']"), false, "namespaces[1]: namespace type \"network\" given twice" },
	{ NS("['mount','uts','mnt']"), false,
	  "namespaces[2]: namespace type \"mount\" given twice" },
	{ NS("['net',{'type':'net','path':'/run/netns/a'}]"), false,
	  "namespaces[1]: namespace type \"network\" given twice" },
	{ NS("['user','mnt','pid','net','ipc','uts','cgroup','time','net']"), false,
	  "namespaces[8]: more entries than namespace types" },
	{ NS("[{'path':'/run/netns/a'}]"), false, "namespaces[0].type: is required" },
	{ NS("[{}]"), false, "namespaces[0].type: is required" },
	{ NS("[{'type':1}]"), false, "namespaces[0].type: expected a string" },
	{ NS("[{'type':''}]"), false, "namespaces[0].type: must not be empty" },
	{ NS("['ipc',{'type':'bogus'}]"), false,
	  "namespaces[1].type: unknown namespace type \"bogus\"" },
	{ NS("[{'type':'net','path':'run/netns/a'}]"), false,
	  "namespaces[0].path: must be an absolute path" },
	{ NS("[{'type':'net','path':''}]"), false, "namespaces[0].path: must not be empty" },
	{ NS("[{'type':'net','path':1}]"), false, "namespaces[0].path: expected a string" },
	{ NS("[{'type':'net','foo':1}]"), false, "namespaces[0].foo: unknown key" },
	{ NS("[{'type':'net','type':'ipc'}]"), false, "namespaces[0].type: key given twice" },

	/* Keys later work implements: refused, never ignored. */

	/* CPU placement: annotations, isolatedCpus, execCPUAffinity */
	{ TOP("'annotations':[]"), false, "annotations: expected an object" },
	{ TOP("'annotations':{'x':1}"), false, "annotations.x: expected a string" },
	{ TOP("'annotations':{'x':'a','x':'b'}"), false, "annotations.x: key given twice" },
	{ TOP("'annotations':{'org.opencontainers.runc.exec.isolated-cpu-affinity-transition':'Temporary'}"),
	  false,
	  "annotations.org.opencontainers.runc.exec.isolated-cpu-affinity-transition: unknown value "
	  "\"Temporary\" (expected \"temporary\" or \"definitive\")" },
	{ TOP("'annotations':{'org.opencontainers.runc.exec.isolated-cpu-affinity-transition':''}"),
	  false,
	  "annotations.org.opencontainers.runc.exec.isolated-cpu-affinity-transition: unknown value "
	  "\"\" (expected \"temporary\" or \"definitive\")" },
	{ TOP("'isolatedCpus':5"), false, "isolatedCpus: expected a string" },
	{ TOP("'isolatedCpus':'3-1'"), false, "isolatedCpus: \"3-1\": range 3-1 is reversed" },
	{ TOP("'isolatedCpus':'-1'"), false,
	  "isolatedCpus: \"-1\": expected a CPU number at \"-1\"" },
	{ PROC("'execCPUAffinity':[]"), false, "process.execCPUAffinity: expected an object" },
	{ PROC("'execCPUAffinity':{'foo':'1'}"), false, "process.execCPUAffinity.foo: unknown key" },
	{ PROC("'execCPUAffinity':{'initial':''}"), false,
	  "process.execCPUAffinity.initial: the CPU list is empty" },
	{ PROC("'execCPUAffinity':{'final':' , '}"), false,
	  "process.execCPUAffinity.final: the CPU list is empty" },
	{ PROC("'execCPUAffinity':{'final':'1-'}"), false,
	  "process.execCPUAffinity.final: \"1-\": expected a CPU number at \"\"" },
	{ PROC("'execCPUAffinity':{'initial':0}"), false,
	  "process.execCPUAffinity.initial: expected a string" },

	/* process.scheduler */
	{ PROC("'scheduler':[]"), false, "process.scheduler: expected an object" },
	{ PROC("'scheduler':{}"), false, "process.scheduler.policy: is required" },
	{ PROC("'scheduler':{'policy':'SCHED_FIFO'}"), false,
	  "process.scheduler.priority: must be 1..99 for SCHED_FIFO and SCHED_RR" },
	{ PROC("'scheduler':{'policy':'SCHED_ISO'}"), false,
	  "process.scheduler.policy: SCHED_ISO does not exist in Linux" },
	{ PROC("'scheduler':{'policy':'SCHED_FOO'}"), false,
	  "process.scheduler.policy: unknown policy \"SCHED_FOO\"" },
	{ PROC("'scheduler':{'policy':'SCHED_OTHER','nice':20}"), false,
	  "process.scheduler.nice: 20 is out of range (-20..19)" },
	{ PROC("'scheduler':{'policy':'SCHED_RR','priority':100}"), false,
	  "process.scheduler.priority: 100 is out of range (0..99)" },
	{ PROC("'scheduler':{'policy':'SCHED_OTHER','priority':5}"), false,
	  "process.scheduler.priority: must be 0 for this policy" },
	{ PROC("'scheduler':{'policy':'SCHED_DEADLINE'}"), false,
	  "process.scheduler.runtime: is required for SCHED_DEADLINE" },
	{ PROC("'scheduler':{'policy':'SCHED_DEADLINE','runtime':10,'deadline':5}"), false,
	  "process.scheduler: runtime must not exceed deadline" },
	{ PROC("'scheduler':{'policy':'SCHED_DEADLINE','runtime':10,'deadline':20,'period':15}"),
	  false, "process.scheduler: deadline must not exceed period" },
	{ PROC("'scheduler':{'policy':'SCHED_FIFO','priority':1,'runtime':5}"), false,
	  "process.scheduler: runtime, deadline and period are for SCHED_DEADLINE only" },
	{ PROC("'scheduler':{'policy':'SCHED_FIFO','priority':1,'flags':['X']}"), false,
	  "process.scheduler.flags[0]: unknown flag \"X\"" },
	{ PROC("'scheduler':{'policy':'SCHED_FIFO','priority':1,'flags':'X'}"), false,
	  "process.scheduler.flags: expected an array of strings" },
	{ PROC("'scheduler':{'policy':'SCHED_FIFO','priority':1,'foo':1}"), false,
	  "process.scheduler.foo: unknown key" },

	/* cgroup */
	{ TOP("'cgroup':1"), false, "cgroup: expected an object" },
	{ TOP("'cgroup':null"), false, "cgroup: expected an object" },
	{ TOP("'cgroup':'/ctr1'"), false, "cgroup: expected an object" },
	{ TOP("'cgroup':{'foo':1}"), false, "cgroup.foo: unknown key" },
	{ TOP("'cgroup':{'path':'/a','path':'/b'}"), false, "cgroup.path: key given twice" },
	{ TOP("'cgroup':{'path':1}"), false, "cgroup.path: expected a string" },
	{ TOP("'cgroup':{'path':''}"), false, "cgroup.path: must not be empty" },
	{ TOP("'cgroup':{'path':'..'}"), false, "cgroup.path: must not contain \"..\"" },
	{ TOP("'cgroup':{'path':'/a/../b'}"), false, "cgroup.path: must not contain \"..\"" },
	{ TOP("'cgroup':{'path':'/a/./b'}"), false, "cgroup.path: must not contain \".\"" },
	{ TOP("'cgroup':{'sub':null}"), false, "cgroup.sub: expected a string" },
	{ TOP("'cgroup':{'sub':''}"), false, "cgroup.sub: must not be empty" },
	{ TOP("'cgroup':{'sub':'/exec'}"), false, "cgroup.sub: must be a relative path" },
	{ TOP("'cgroup':{'sub':'../x'}"), false, "cgroup.sub: must not contain \"..\"" },
	{ TOP("'cgroup':{'sub':'x/..'}"), false, "cgroup.sub: must not contain \"..\"" },
	{ TOP("'cgroup':{'sub':'x//../y'}"), false, "cgroup.sub: must not contain \"..\"" },
	{ TOP("'cgroup':{'sub':'.'}"), false, "cgroup.sub: must not contain \".\"" },
	{ TOP("'cgroup':{'path':'/ctr1','sub':'./x'}"), false,
	  "cgroup.sub: must not contain \".\"" },

	/* detach, pidFile, preserveFds */
	{ TOP("'detach':'yes'"), false, "detach: expected true or false" },
	{ TOP("'detach':1"), false, "detach: expected true or false" },
	{ TOP("'detach':null"), false, "detach: expected true or false" },
	{ TOP("'pidFile':1"), false, "pidFile: expected a string" },
	{ TOP("'pidFile':''"), false, "pidFile: must not be empty" },
	{ TOP("'preserveFds':-1"), false, "preserveFds: -1 is out of range (0..1048576)" },
	{ TOP("'preserveFds':1048577"), false,
	  "preserveFds: 1048577 is out of range (0..1048576)" },
	{ TOP("'preserveFds':1.5"), false, "preserveFds: expected an integer" },
	{ TOP("'preserveFds':'3'"), false, "preserveFds: expected an integer" },

	/* process */
	{ "{" T ",'process':1}", false, "process: expected an object" },
	{ "{" T ",'process':['/bin/sh']}", false, "process: expected an object" },
	{ "{" T ",'process':null}", true, "process: expected an object" },
	{ PROC("'foo':1"), false, "process.foo: unknown key" },
	{ PROC("'Args':[]"), false, "process.Args: unknown key" },
	{ PROC("'cwd':'/','cwd':'/'"), false, "process.cwd: key given twice" },
	{ "{" T ",'process':{'args':'/bin/sh'}}", false,
	  "process.args: expected an array of strings" },
	{ "{" T ",'process':{'args':[1]}}", false, "process.args[0]: expected a string" },
	{ "{" T ",'process':{'args':[1]}}", true, "process.args[0]: expected a string" },
	{ "{" T ",'process':{'args':['sh',null]}}", false, "process.args[1]: expected a string" },
	{ "{" T ",'process':{'args':['']}}", false, "process.args[0]: must not be empty" },
	{ "{" T ",'process':{'args':[]}}", false,
	  "process.args: at least one argument is required" },
	{ "{" T ",'process':{}}", false, "process.args: at least one argument is required" },
	{ "{" T "}", false, "process.args: at least one argument is required" },
	{ "{" T ",'process':{'cwd':'/'}}", false,
	  "process.args: at least one argument is required" },
	{ PROC("'env':'A=b'"), false, "process.env: expected an array of strings" },
	{ PROC("'env':['A']"), false, "process.env[0]: expected \"NAME=value\"" },
	{ PROC("'env':['A=1','=x']"), false, "process.env[1]: expected \"NAME=value\"" },
	{ PROC("'env':['']"), false, "process.env[0]: expected \"NAME=value\"" },
	{ PROC("'env':[1]"), false, "process.env[0]: expected a string" },
	{ PROC("'cwd':'tmp'"), false, "process.cwd: must be an absolute path" },
	{ PROC("'cwd':'./'"), false, "process.cwd: must be an absolute path" },
	{ PROC("'cwd':''"), false, "process.cwd: must not be empty" },
	{ PROC("'cwd':1"), false, "process.cwd: expected a string" },
	{ PROC("'terminal':'no'"), false, "process.terminal: expected true or false" },
	{ PROC("'terminal':0"), false, "process.terminal: expected true or false" },
	{ PROC("'consoleSize':1"), false, "process.consoleSize: expected an object" },
	{ PROC("'consoleSize':{'height':1}"), false, "process.consoleSize.width: is required" },
	{ PROC("'consoleSize':{'width':1}"), false, "process.consoleSize.height: is required" },
	{ PROC("'consoleSize':{'height':-1,'width':1}"), false,
	  "process.consoleSize.height: -1 is out of range (0..65535)" },
	{ PROC("'consoleSize':{'height':1,'width':65536}"), false,
	  "process.consoleSize.width: 65536 is out of range (0..65535)" },
	{ PROC("'consoleSize':{'height':1,'width':'80'}"), false,
	  "process.consoleSize.width: expected an integer" },
	{ PROC("'consoleSize':{'height':1,'width':1,'depth':1}"), false,
	  "process.consoleSize.depth: unknown key" },

	/* process.user */
	{ PROC("'user':0"), false, "process.user: expected an object" },
	{ PROC("'user':'root'"), false, "process.user: expected an object" },
	{ USER("'username':'root'"), false, "process.user.username: unknown key" },
	{ USER("'uid':1,'uid':1"), false, "process.user.uid: key given twice" },
	{ USER("'uid':4294967295"), false,
	  "process.user.uid: 4294967295 is out of range (0..4294967294)" },
	{ USER("'uid':-1"), false, "process.user.uid: -1 is out of range (0..4294967294)" },
	{ USER("'uid':1e20"), false, "process.user.uid: expected an integer" },
	{ USER("'uid':100000000000000000000"), false, "process.user.uid: 100000000000000000000 is out of range (0..4294967294)" },
	{ USER("'uid':1.5"), false, "process.user.uid: expected an integer" },
	{ USER("'uid':'0'"), false, "process.user.uid: expected an integer" },
	{ USER("'gid':4294967295"), false,
	  "process.user.gid: 4294967295 is out of range (0..4294967294)" },
	{ USER("'gid':null"), false, "process.user.gid: expected an integer" },
	{ USER("'umask':512"), false, "process.user.umask: 512 is out of range (0..511)" },
	{ USER("'umask':-1"), false, "process.user.umask: -1 is out of range (0..511)" },
	{ USER("'umask':'022'"), false, "process.user.umask: expected an integer" },
	{ USER("'additionalGids':5"), false,
	  "process.user.additionalGids: expected an array of gids" },
	{ USER("'additionalGids':{}"), false,
	  "process.user.additionalGids: expected an array of gids" },
	{ USER("'additionalGids':[-1]"), false,
	  "process.user.additionalGids[0]: -1 is out of range (0..4294967294)" },
	{ USER("'additionalGids':[1,'2']"), false,
	  "process.user.additionalGids[1]: expected an integer" },
	{ USER("'additionalGids':[0,4294967295]"), false,
	  "process.user.additionalGids[1]: 4294967295 is out of range (0..4294967294)" },
	{ USER("'additionalGids':[0.5]"), false,
	  "process.user.additionalGids[0]: expected an integer" },

	/* process.rlimits */
	{ RL("{}"), false, "process.rlimits: expected an array" },
	{ RL("'RLIMIT_NOFILE'"), false, "process.rlimits: expected an array" },
	{ RL("null"), false, "process.rlimits: expected an array" },
	{ RL("[1]"), false, "process.rlimits[0]: expected an object" },
	{ RL("[[]]"), false, "process.rlimits[0]: expected an object" },
	{ RL("[{'type':'RLIMIT_CORE','soft':0,'hard':0},null]"), false,
	  "process.rlimits[1]: expected an object" },
	{ RL1("'soft':1,'hard':1"), false, "process.rlimits[0].type: is required" },
	{ RL1("'type':'RLIMIT_NOFILE','hard':1"), false, "process.rlimits[0].soft: is required" },
	{ RL1("'type':'RLIMIT_NOFILE','soft':1"), false, "process.rlimits[0].hard: is required" },
	{ RL1(""), false, "process.rlimits[0].type: is required" },
	{ RL1("'type':'RLIMIT_NOFILE','soft':1,'hard':1,'max':1"), false,
	  "process.rlimits[0].max: unknown key" },
	{ RL1("'type':'RLIMIT_NOFILE','soft':1,'soft':1,'hard':1"), false,
	  "process.rlimits[0].soft: key given twice" },
	{ RL1("'type':'RLIMIT_FOO','soft':1,'hard':1"), false,
	  "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"" },
	{ RL1("'type':'rlimit_nofile','soft':1,'hard':1"), false,
	  "process.rlimits[0].type: unknown rlimit \"rlimit_nofile\"" },
	{ RL1("'type':'NOFILE','soft':1,'hard':1"), false,
	  "process.rlimits[0].type: unknown rlimit \"NOFILE\"" },
	{ RL1("'type':'RLIMIT_NLIMITS','soft':1,'hard':1"), false,
	  "process.rlimits[0].type: unknown rlimit \"RLIMIT_NLIMITS\"" },
	{ RL1("'type':1,'soft':1,'hard':1"), false, "process.rlimits[0].type: expected a string" },
	{ RL1("'type':'','soft':1,'hard':1"), false, "process.rlimits[0].type: must not be empty" },
	{ RL("[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},{'type':'RLIMIT_CORE','soft':0,'hard':0},"
	     "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]"),
	  false, "process.rlimits[2].type: RLIMIT_NOFILE given twice" },
	{ RL("[{'type':'RLIMIT_CPU','soft':1,'hard':1},{'type':'RLIMIT_CPU','soft':1,'hard':1}]"),
	  false, "process.rlimits[1].type: RLIMIT_CPU given twice" },
	{ NOFILE("2", "1"), false, "process.rlimits[0]: soft limit 2 exceeds hard limit 1" },
	{ NOFILE("18446744073709551615", "1024"), false,
	  "process.rlimits[0]: soft limit 18446744073709551615 exceeds hard limit 1024" },
	{ RL("[{'type':'RLIMIT_CORE','soft':0,'hard':0},"
	     "{'type':'RLIMIT_STACK','soft':8388609,'hard':8388608}]"),
	  false, "process.rlimits[1]: soft limit 8388609 exceeds hard limit 8388608" },
	{ NOFILE("1.5", "2"), false, "process.rlimits[0].soft: expected an integer" },
	{ NOFILE("1", "2.5"), false, "process.rlimits[0].hard: expected an integer" },
	{ NOFILE("'1024'", "1024"), false, "process.rlimits[0].soft: expected an integer" },
	{ NOFILE("1024", "null"), false, "process.rlimits[0].hard: expected an integer" },
	{ NOFILE("true", "1024"), false, "process.rlimits[0].soft: expected an integer" },
	{ NOFILE("1024", "'unlimited'"), false, "process.rlimits[0].hard: expected an integer" },
	{ NOFILE("1024", "1e400"), false, "process.rlimits[0].hard: expected an integer" },
	{ NOFILE("1024", "18446744073709551616"), false,
	  "process.rlimits[0].hard: 18446744073709551616 is out of range (0..18446744073709551615)" },
	/* 2^53+1 reads as the double 2^53: refused, never rounded. */
	{ NOFILE("9007199254740993", "18446744073709551615"), false,
	  "process.rlimits[0].soft: 9007199254740993 is not exactly representable "
	  "(JSON numbers are doubles)" },
	{ NOFILE("1", "9007199254740993"), false,
	  "process.rlimits[0].hard: 9007199254740993 is not exactly representable "
	  "(JSON numbers are doubles)" },
	{ NOFILE("1152921504606846977", "18446744073709551615"), false,
	  "process.rlimits[0].soft: 1152921504606846977 is not exactly representable "
	  "(JSON numbers are doubles)" },
	/* One below "unlimited": a double would make it 2^64. */
	{ NOFILE("1", "18446744073709551614"), false,
	  "process.rlimits[0].hard: 18446744073709551614 is not exactly representable "
	  "(JSON numbers are doubles)" },
	{ NOFILE("1", "18446744073709550591"), false,
	  "process.rlimits[0].hard: 18446744073709550591 is not exactly representable "
	  "(JSON numbers are doubles)" },

	/* process.capabilities */
	{ CAPS("[]"), false, "process.capabilities: expected an object" },
	{ CAPS("['CAP_KILL']"), false, "process.capabilities: expected an object" },
	{ CAPS("'CAP_KILL'"), false, "process.capabilities: expected an object" },
	{ CAPS("null"), false, "process.capabilities: expected an object" },
	{ CAPS("{'foo':[]}"), false, "process.capabilities.foo: unknown key" },
	{ CAPS("{'Bounding':[]}"), false, "process.capabilities.Bounding: unknown key" },
	{ CAPS("{'bounding':[],'bounding':[]}"), false,
	  "process.capabilities.bounding: key given twice" },
	{ CAPS("{'bounding':'CAP_KILL'}"), false,
	  "process.capabilities.bounding: expected an array of strings" },
	{ CAPS("{'effective':{}}"), false,
	  "process.capabilities.effective: expected an array of strings" },
	{ CAPS("{'permitted':null}"), false,
	  "process.capabilities.permitted: expected an array of strings" },
	{ CAPS("{'inheritable':['CAP_KILL',5]}"), false,
	  "process.capabilities.inheritable[1]: expected a string" },
	{ CAPS("{'ambient':[null]}"), false, "process.capabilities.ambient[0]: expected a string" },
	{ CAPS("{'bounding':[['CAP_KILL']]}"), false,
	  "process.capabilities.bounding[0]: expected a string" },

	/* process.noNewPrivileges, process.oomScoreAdj */
	{ PROC("'noNewPrivileges':'true'"), false, "process.noNewPrivileges: expected true or false" },
	{ PROC("'noNewPrivileges':1"), false, "process.noNewPrivileges: expected true or false" },
	{ PROC("'noNewPrivileges':null"), false, "process.noNewPrivileges: expected true or false" },
	{ PROC("'oomScoreAdj':1001"), false, "process.oomScoreAdj: 1001 is out of range (-1000..1000)" },
	{ PROC("'oomScoreAdj':-1001"), false,
	  "process.oomScoreAdj: -1001 is out of range (-1000..1000)" },
	{ PROC("'oomScoreAdj':1e10"), false, "process.oomScoreAdj: expected an integer" },
	{ PROC("'oomScoreAdj':10000000000"), false,
	  "process.oomScoreAdj: 10000000000 is out of range (-1000..1000)" },
	{ PROC("'oomScoreAdj':1.5"), false, "process.oomScoreAdj: expected an integer" },
	{ PROC("'oomScoreAdj':-0.5"), false, "process.oomScoreAdj: expected an integer" },
	{ PROC("'oomScoreAdj':'100'"), false, "process.oomScoreAdj: expected an integer" },
	{ PROC("'oomScoreAdj':null"), false, "process.oomScoreAdj: expected an integer" },

	/* process.ioPriority */
	{ IOP("[]"), false, "process.ioPriority: expected an object" },
	{ IOP("'IOPRIO_CLASS_BE'"), false, "process.ioPriority: expected an object" },
	{ IOP("{}"), false, "process.ioPriority.class: is required" },
	{ IOP("{'priority':4}"), false, "process.ioPriority.class: is required" },
	{ IOP("{'class':'IOPRIO_CLASS_FOO','priority':4}"), false,
	  "process.ioPriority.class: unknown class \"IOPRIO_CLASS_FOO\"" },
	{ IOP("{'class':'BE'}"), false, "process.ioPriority.class: unknown class \"BE\"" },
	{ IOP("{'class':'ioprio_class_be'}"), false,
	  "process.ioPriority.class: unknown class \"ioprio_class_be\"" },
	{ IOP("{'class':2}"), false, "process.ioPriority.class: expected a string" },
	{ IOP("{'class':''}"), false, "process.ioPriority.class: must not be empty" },
	{ IOP("{'class':'IOPRIO_CLASS_BE','priority':8}"), false,
	  "process.ioPriority.priority: 8 is out of range (0..7)" },
	{ IOP("{'class':'IOPRIO_CLASS_RT','priority':-1}"), false,
	  "process.ioPriority.priority: -1 is out of range (0..7)" },
	{ IOP("{'class':'IOPRIO_CLASS_BE','priority':2.5}"), false,
	  "process.ioPriority.priority: expected an integer" },
	{ IOP("{'class':'IOPRIO_CLASS_BE','priority':'4'}"), false,
	  "process.ioPriority.priority: expected an integer" },
	{ IOP("{'class':'IOPRIO_CLASS_BE','priority':4,'level':4}"), false,
	  "process.ioPriority.level: unknown key" },
	{ IOP("{'class':'IOPRIO_CLASS_BE','class':'IOPRIO_CLASS_RT'}"), false,
	  "process.ioPriority.class: key given twice" },

	/* process.apparmorProfile, process.selinuxLabel */
	{ PROC("'apparmorProfile':''"), false, "process.apparmorProfile: must not be empty" },
	{ PROC("'apparmorProfile':1"), false, "process.apparmorProfile: expected a string" },
	{ PROC("'apparmorProfile':null"), false, "process.apparmorProfile: expected a string" },
	{ PROC("'apparmorProfile':['x']"), false, "process.apparmorProfile: expected a string" },
	{ PROC("'selinuxLabel':''"), false, "process.selinuxLabel: must not be empty" },
	{ PROC("'selinuxLabel':false"), false, "process.selinuxLabel: expected a string" },
	{ PROC("'selinuxLabel':{}"), false, "process.selinuxLabel: expected a string" },
};
/* clang-format on */

static void check_bad(const char *text, size_t len, bool args_given, const char *want,
		      const char *name)
{
	struct config c;
	struct rterr e = { 0, { 0 } };
	int r = parse_saved(text, len, args_given, NCPUS, &c, &e);

	ok(r < 0, "refused: %s", name);
	if (r < 0) {
		is_str(e.msg, want, "message: %s", name);
		ok(c.root == NULL, "nothing left allocated: %s", name);
	}
	config_free(&c);
}

static void test_bad_table(void)
{
	char name[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *json = q(bad[i].json);
		size_t len = strlen(json);

		check_bad(json, len, bad[i].args_given, bad[i].msg,
			  shown(name, sizeof(name), json, len));
		free(json);
	}
}

static void test_raw_nul(void)
{
	static const char doc[] = "{\"target\":{\"pid\":1},\n\"process\":{\"args\":[\"a\0b\"]}}";
	static const char lead[] = "\0{}";

	check_bad(doc, sizeof(doc) - 1, false, "line 2 column 22: NUL bytes are not allowed",
		  "raw NUL inside a string");
	check_bad(lead, sizeof(lead) - 1, false, "line 1 column 1: NUL bytes are not allowed",
		  "raw NUL first");
	/* A NUL after the document is trailing data a C reader would silently stop at. */
	check_bad("{}\0", 3, false, "line 1 column 3: NUL bytes are not allowed",
		  "raw NUL after the document");
}

/* NGROUPS_MAX is 65536: one more is refused by count, before any entry is looked at. */
static void test_too_many_groups(void)
{
	static const char head[] = "{\"target\":{\"pid\":1},\"process\":{\"args\":[\"sh\"],"
				   "\"user\":{\"additionalGids\":[";
	size_t n = 65537, len = 0;
	char *doc = malloc(sizeof(head) + 2 * n + 8);

	if (doc == NULL)
		return;
	memcpy(doc, head, sizeof(head) - 1);
	len = sizeof(head) - 1;
	for (size_t i = 0; i < n; i++) {
		doc[len++] = '0';
		doc[len++] = ',';
	}
	memcpy(doc + len - 1, "]}}}", 4);
	len += 3;
	check_bad(doc, len, false, "process.user.additionalGids: more than 65536 groups",
		  "65537 additionalGids");
	free(doc);
}

/* Every failure is exactly one line on stderr: what the user typed must not break it. */
static void test_one_line(void)
{
	/* clang-format off */
	static const char *const docs[] = {
		"{'a\\nb':1}",
		TOP("'namespaces':['net\\n\\u001b[2J']"),
		TGT("'pid':1,'x\\r':1"),
	};
	/* clang-format on */
	char name[160];

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char *json = q(docs[i]);
		struct config c;
		struct rterr e = { 0, { 0 } };
		int r = parse_saved(json, strlen(json), false, NCPUS, &c, &e);
		bool clean = true;

		for (const char *p = e.msg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				clean = false;
		ok(r < 0 && clean, "one-line message without control characters: %s",
		   shown(name, sizeof(name), json, strlen(json)));
		if (!clean)
			printf("#   got: \"%s\"\n",
			       shown(name, sizeof(name), e.msg, strlen(e.msg)));
		config_free(&c);
		free(json);
	}
}

/* Parses a valid document (' for "); fails the test and returns false if refused. */
static bool parse_ok(const char *json, bool args_given, struct config *c)
{
	char *text = q(json);
	char name[160];
	struct rterr e = { 0, { 0 } };
	int r = parse_saved(text, strlen(text), args_given, NCPUS, c, &e);

	ok(r == 0, "accepted: %s", shown(name, sizeof(name), text, strlen(text)));
	if (r != 0)
		printf("#   error: %s\n", e.msg);
	free(text);
	return r == 0;
}

static void test_minimal(void)
{
	struct config c;

	if (!parse_ok("{" T "," A "}", false, &c))
		return;
	ok(c.target.pid == 1, "minimal: target pid 1");
	ok(c.target.pid_file == NULL, "minimal: no target pid file");
	ok(!c.target.has_start_time, "minimal: no startTime");
	ok(!c.ns.given && c.ns.n == 0, "minimal: namespaces not given");
	ok(c.cgroup.path == NULL && c.cgroup.sub == NULL, "minimal: no cgroup path or sub");
	ok(!c.detach, "minimal: detach defaults to false");
	ok(c.pid_file == NULL, "minimal: no pidFile");
	ok(c.preserve_fds == 0, "minimal: preserveFds 0");
	ok(c.process.nargs == 1 && c.process.args[1] == NULL, "minimal: one arg, NULL-terminated");
	is_str(c.process.args[0], "/bin/sh", "minimal: args[0]");
	ok(!(c.process.env != NULL) && c.process.env == NULL && c.process.nenv == 0, "minimal: no "
										     "env");
	ok(c.process.cwd == NULL, "minimal: cwd unset (the caller's default /)");
	ok(c.process.uid == 0 && c.process.gid == 0, "minimal: uid 0, gid 0");
	ok(!c.process.has_umask, "minimal: no umask");
	ok(c.process.groups == NULL && c.process.ngroups == 0, "minimal: no additional gids");
	ok(c.root != NULL, "minimal: the tree is kept");
	config_free(&c);
	ok(c.root == NULL && c.process.args == NULL, "config_free clears the struct");
	config_free(&c); /* a second free is harmless */
}

static void test_target(void)
{
	struct config c;

	if (parse_ok("{'target':{'pidFile':'/run/ctr.pid','startTime':987654}," A "}", false, &c)) {
		ok(c.target.pid == 0, "pidFile: target pid 0");
		is_str(c.target.pid_file, "/run/ctr.pid", "pidFile: path");
		ok(c.target.has_start_time && c.target.start_time == 987654, "pidFile: startTime "
									     "987654");
		config_free(&c);
	}
	if (parse_ok("{'target':{'pidFile':'ctr.pid'}," A "}", false, &c)) {
		is_str(c.target.pid_file, "ctr.pid", "a relative pid file is taken as given");
		ok(!c.target.has_start_time, "no startTime");
		config_free(&c);
	}
	if (parse_ok(TGT("'startTime':0,'pid':4194304"), false, &c)) {
		ok(c.target.pid == 4194304, "pid 4194304 (PID_MAX_LIMIT) accepted");
		ok(c.target.has_start_time && c.target.start_time == 0, "startTime 0 is given, not "
									"absent");
		config_free(&c);
	}
	if (parse_ok(TGT("'pid':1,'startTime':9007199254740991"), false, &c)) {
		ok(c.target.start_time == 9007199254740991ULL, "startTime 2^53-1 is exact");
		config_free(&c);
	}
}

static void test_start_time_not_rounded(void)
{
	char *json = q(TGT("'pid':1,'startTime':9007199254740993"));
	struct config c;
	struct rterr e = { 0, { 0 } };
	int r = parse_saved(json, strlen(json), false, NCPUS, &c, &e);

	/* 2^53+1 reads as the double 2^53: accepting it compares against a value the user
	 * did not write. Every accepted startTime must be exact, so the limit is 2^53-1. */
	ok(r < 0, "startTime 9007199254740993 (2^53+1) is refused, not rounded to 2^53");
	if (r == 0)
		printf("#   accepted as %llu\n", c.target.start_time);
	else
		is_str(e.msg,
		       "target.startTime: 9007199254740993 is out of range (0..9007199254740991)",
		       "message: startTime 2^53+1");
	config_free(&c);
	free(json);
}

static void test_namespaces(void)
{
	/* clang-format off */
	static const enum ns_type all[] = { NS_USER, NS_MNT, NS_PID, NS_NET,
					    NS_IPC, NS_UTS, NS_CGROUP, NS_TIME };
	/* clang-format on */
	struct config c;

	if (parse_ok(NS("['user','mnt','pid','net','ipc','uts','cgroup','time']"), false, &c)) {
		bool same = c.ns.given && c.ns.n == NS_COUNT;
		for (size_t i = 0; same && i < NS_COUNT; i++)
			same = c.ns.entries[i].type == all[i] && c.ns.entries[i].path == NULL;
		ok(same, "all eight namespaces, in order, no paths");
		config_free(&c);
	}
	if (parse_ok(NS("['network','mount','cgroup']"), false, &c)) {
		ok(c.ns.n == 3 && c.ns.entries[0].type == NS_NET &&
			   c.ns.entries[1].type == NS_MNT && c.ns.entries[2].type == NS_CGROUP,
		   "OCI names network and mount");
		config_free(&c);
	}
	if (parse_ok(NS("[{'type':'network','path':'/run/netns/a'},'mnt',{'type':'ipc'}]"), false,
		     &c)) {
		ok(c.ns.n == 3, "three entries");
		ok(c.ns.entries[0].type == NS_NET, "object entry: type network");
		is_str(c.ns.entries[0].path, "/run/netns/a", "object entry: path");
		ok(c.ns.entries[1].type == NS_MNT && c.ns.entries[1].path == NULL, "string entry "
										   "mnt: no path");
		ok(c.ns.entries[2].type == NS_IPC && c.ns.entries[2].path == NULL, "object entry "
										   "without path");
		config_free(&c);
	}
	if (parse_ok(NS("[{'path':'/proc/1/ns/mnt','type':'mount'},{'type':'net','path':'/x'}]"),
		     false, &c)) {
		ok(c.ns.n == 2 && c.ns.entries[0].type == NS_MNT && c.ns.entries[1].type == NS_NET,
		   "path before type; alias net in an object");
		is_str(c.ns.entries[0].path, "/proc/1/ns/mnt", "path of the first entry");
		config_free(&c);
	}
	if (parse_ok(NS("[]"), false, &c)) {
		ok(c.ns.given && c.ns.n == 0, "an empty list: given, join nothing");
		config_free(&c);
	}
	ok(ns_type_from_name("net") == NS_NET && ns_type_from_name("network") == NS_NET, "ns_type_"
											 "from_"
											 "name: "
											 "net and "
											 "network");
	ok(ns_type_from_name("mnt") == NS_MNT && ns_type_from_name("mount") == NS_MNT, "ns_type_"
										       "from_name: "
										       "mnt and "
										       "mount");
	ok(ns_type_from_name("time") == NS_TIME && ns_type_from_name("") == -1 &&
		   ns_type_from_name("Network") == -1,
	   "ns_type_from_name: time, empty, wrong case");
}

static void test_process(void)
{
	struct config c;

	if (parse_ok("{" T ",'process':{'args':['/bin/echo','','a b','\\\\u0000','\\u00e9\\t']}}",
		     false, &c)) {
		ok(c.process.nargs == 5 && c.process.args[5] == NULL, "five args, NULL-terminated");
		is_str(c.process.args[1], "", "an empty later arg is kept");
		is_str(c.process.args[2], "a b", "spaces kept");
		is_str(c.process.args[3], "\\u0000", "escaped backslash + u0000 is six characters");
		is_str(c.process.args[4], "\xc3\xa9\t", "escapes decoded");
		config_free(&c);
	}
	if (parse_ok(PROC("'env':['PATH=/bin','EMPTY=','A=b=c'],'cwd':'/tmp'"), false, &c)) {
		ok((c.process.env != NULL) && c.process.nenv == 3 && c.process.env[3] == NULL,
		   "env: three entries, NULL-terminated");
		is_str(c.process.env[0], "PATH=/bin", "env[0]");
		is_str(c.process.env[1], "EMPTY=", "env[1]: empty value");
		is_str(c.process.env[2], "A=b=c", "env[2]: = in the value");
		is_str(c.process.cwd, "/tmp", "cwd");
		config_free(&c);
	}
	if (parse_ok(PROC("'env':[]"), false, &c)) {
		ok((c.process.env != NULL) && c.process.nenv == 0 && c.process.env &&
			   !c.process.env[0],
		   "env: an empty list is given (no default PATH)");
		config_free(&c);
	}
	if (parse_ok(USER("'uid':1000"), false, &c)) {
		ok(c.process.uid == 1000 && c.process.gid == 0, "uid only: gid 0");
		ok(!c.process.has_umask && c.process.ngroups == 0, "uid only: no umask, no groups");
		config_free(&c);
	}
	if (parse_ok(USER("'uid':4294967294,'gid':4294967294,'umask':18,"
			  "'additionalGids':[1,2,65534,4294967294]"),
		     false, &c)) {
		ok(c.process.uid == 4294967294U && c.process.gid == 4294967294U, "uid/gid 2^32-2");
		ok(c.process.has_umask && c.process.umask == 022, "umask 18 = 022");
		ok(c.process.ngroups == 4 && c.process.groups[0] == 1 && c.process.groups[1] == 2 &&
			   c.process.groups[2] == 65534 && c.process.groups[3] == 4294967294U,
		   "additionalGids");
		config_free(&c);
	}
	if (parse_ok(USER("'umask':0,'gid':5"), false, &c)) {
		ok(c.process.has_umask && c.process.umask == 0, "umask 0 is given");
		ok(c.process.uid == 0 && c.process.gid == 5, "gid only: uid 0");
		config_free(&c);
	}
	if (parse_ok(USER("'umask':511,'additionalGids':[]"), false, &c)) {
		ok(c.process.umask == 0777, "umask 511 = 0777");
		ok(c.process.ngroups == 0, "additionalGids: an empty list");
		config_free(&c);
	}
	if (parse_ok(PROC("'terminal':true,'consoleSize':{'height':33,'width':77}"), false, &c)) {
		ok(c.process.terminal && c.process.rows == 33 && c.process.cols == 77, "terminal "
										       "true, "
										       "consoleSize"
										       " 33x77 "
										       "kept");
		config_free(&c);
	}
	if (parse_ok(PROC("'terminal':false,'consoleSize':{'height':24,'width':80}"), false, &c)) {
		ok(c.process.nargs == 1, "terminal false and consoleSize accepted");
		config_free(&c);
	}
	if (parse_ok(PROC("'consoleSize':{'height':0,'width':65535}"), false, &c))
		config_free(&c);
}

static void test_top_level(void)
{
	struct config c;

	if (parse_ok(TOP("'detach':true,'pidFile':'/run/exec.pid','preserveFds':3"), false, &c)) {
		ok(c.detach, "detach true");
		is_str(c.pid_file, "/run/exec.pid", "pidFile");
		ok(c.preserve_fds == 3, "preserveFds 3");
		config_free(&c);
	}
	if (parse_ok(TOP("'detach':false,'preserveFds':1048576"), false, &c)) {
		ok(!c.detach && c.preserve_fds == 1048576, "detach false, preserveFds 2^20");
		config_free(&c);
	}
}

static void test_cgroup(void)
{
	struct config c;

	if (parse_ok(TOP("'cgroup':{'path':'/ctr1','sub':'exec'}"), false, &c)) {
		is_str(c.cgroup.path, "/ctr1", "cgroup.path");
		is_str(c.cgroup.sub, "exec", "cgroup.sub");
		config_free(&c);
	}
	if (parse_ok(TOP("'cgroup':{}"), false, &c)) {
		ok(c.cgroup.path == NULL && c.cgroup.sub == NULL, "cgroup {}: both keys optional");
		config_free(&c);
	}
	if (parse_ok(TOP("'cgroup':{'sub':'a/b..c/.d','path':'kubepods/x..y'}"), false, &c)) {
		is_str(c.cgroup.path, "kubepods/x..y", "cgroup.path: dots inside a name are fine");
		is_str(c.cgroup.sub, "a/b..c/.d", "cgroup.sub: dots inside a name are fine");
		config_free(&c);
	}
}

static void test_args_given(void)
{
	struct config c;

	if (parse_ok("{" T "}", true, &c)) {
		ok(c.process.nargs == 0 && c.process.args == NULL, "no process: no args");
		config_free(&c);
	}
	if (parse_ok("{" T ",'process':{'cwd':'/','args':[]}}", true, &c)) {
		ok(c.process.nargs == 0, "empty args with a command line");
		is_str(c.process.cwd, "/", "cwd kept");
		config_free(&c);
	}
	if (parse_ok("{" T "," A "}", true, &c)) {
		ok(c.process.nargs == 1, "args are still parsed when the command line has them");
		config_free(&c);
	}
}

static void test_layout(void)
{
	struct config c;

	if (parse_ok("\xef\xbb\xbf{" T "," A "}", false, &c)) {
		ok(c.target.pid == 1, "a UTF-8 byte order mark is skipped");
		config_free(&c);
	}
	if (parse_ok("\r\n\t{\r\n  'target': { 'pid' : 42 },\r\n  'process': {\r\n"
		     "    'args': [ 'sh' ]\r\n  }\r\n}\r\n\n \t",
		     false, &c)) {
		ok(c.target.pid == 42, "pretty-printed with CRLF and trailing whitespace");
		config_free(&c);
	}
}

/* Out of range for an rlimit is refused with its path; the message must not claim that the
 * largest limit is 2^53-1 when 2^60 and 18446744073709551615 (unlimited) are accepted. */
static void test_rlimit_out_of_range(void)
{
	/* clang-format off */
	static const struct {
		const char *json, *prefix;
	} cases[] = {
		{ NOFILE("-1", "1024"), "process.rlimits[0].soft: -1 " },
		{ NOFILE("0", "-5"), "process.rlimits[0].hard: -5 " },
		{ NOFILE("1", "18446744073709551616"), "process.rlimits[0].hard: 18446744073709551616 " },
		{ NOFILE("99999999999999999999999", "18446744073709551615"),
		  "process.rlimits[0].soft: 99999999999999999999999 " },
	};
	/* clang-format on */
	char name[160];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *json = q(cases[i].json);
		struct config c;
		struct rterr e = { 0, { 0 } };
		int r = parse_saved(json, strlen(json), false, NCPUS, &c, &e);

		shown(name, sizeof(name), json, strlen(json));
		ok(r < 0, "refused: %s", name);
		if (r < 0) {
			ok(strncmp(e.msg, cases[i].prefix, strlen(cases[i].prefix)) == 0,
			   "message names the path and the value: %s", name);
			ok(strstr(e.msg, "9007199254740991") == NULL,
			   "message does not give 2^53-1 as the largest rlimit: %s", name);
			printf("#   message: %s\n", e.msg);
		}
		config_free(&c);
		free(json);
	}
}

/* Runs config_parse with stderr captured into buf (the warnings). */
static int parse_capturing(const char *json, struct config *c, struct rterr *e, char *buf, size_t n)
{
	char *text = q(json);
	FILE *f = tmpfile();
	int saved = dup(2), r;
	size_t got = 0;

	fflush(stderr);
	if (f)
		dup2(fileno(f), 2);
	r = parse_saved(text, strlen(text), false, NCPUS, c, e);
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	buf[0] = '\0';
	if (f) {
		rewind(f);
		got = fread(buf, 1, n - 1, f);
		buf[got] = '\0';
		fclose(f);
	}
	free(text);
	return r;
}

static void test_rlimits(void)
{
	/* clang-format off */
	static const char *const names[] = { "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA",
		"RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE",
		"RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
		"RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME" };
	/* clang-format on */
	/* clang-format off */
	static const int resources[] = { RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK,
		RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS,
		RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO,
		RLIMIT_RTTIME };
	/* clang-format on */
	char doc[4096], item[160];
	size_t o = 0;
	struct config c;

	/* Every type once, in reverse order, soft = 100 + i, hard = 200 + i. */
	o += (size_t)snprintf(doc + o, sizeof(doc) - o,
			      "{" T ",'process':{'args':['sh'],'rlimits':[");
	for (int i = 15; i >= 0; i--) {
		snprintf(item, sizeof(item), "{'type':'%s','soft':%d,'hard':%d}%s", names[i],
			 100 + i, 200 + i, i ? "," : "");
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "%s", item);
	}
	snprintf(doc + o, sizeof(doc) - o, "]}}");
	if (parse_ok(doc, false, &c)) {
		bool same = c.attrs.nrlimits == 16;
		for (int i = 0; same && i < 16; i++) {
			const struct rlimit_config *r = &c.attrs.rlimits[15 - i];
			same = r->resource == resources[i] && strcmp(r->name, names[i]) == 0 &&
			       r->soft == 100ULL + (unsigned)i && r->hard == 200ULL + (unsigned)i;
		}
		ok(same, "all 16 RLIMIT_* types, in the order given, soft and hard exact");
		config_free(&c);
	}
	for (int i = 0; i < 16; i++)
		ok(rlimit_from_name(names[i]) == resources[i], "rlimit_from_name(%s)", names[i]);
	ok(rlimit_from_name("RLIMIT_FOO") == -1 && rlimit_from_name("") == -1 &&
		   rlimit_from_name("RLIMIT_nofile") == -1,
	   "rlimit_from_name: unknown, empty, wrong case");

	if (parse_ok(NOFILE("18446744073709551615", "18446744073709551615"), false, &c)) {
		ok(c.attrs.nrlimits == 1 && c.attrs.rlimits[0].soft == ~0ULL &&
			   c.attrs.rlimits[0].hard == ~0ULL,
		   "18446744073709551615 is unlimited (~0), soft and hard");
		config_free(&c);
	}
	if (parse_ok(NOFILE("1152921504606846976", "18446744073709551615"), false, &c)) {
		ok(c.attrs.rlimits[0].soft == 1152921504606846976ULL, "2^60 = 1152921504606846976 "
								      "is kept exactly");
		ok(c.attrs.rlimits[0].hard == ~0ULL, "... with an unlimited hard limit");
		config_free(&c);
	}
	if (parse_ok(NOFILE("9007199254740992", "9007199254740994"), false, &c)) {
		ok(c.attrs.rlimits[0].soft == 9007199254740992ULL &&
			   c.attrs.rlimits[0].hard == 9007199254740994ULL,
		   "2^53 and 2^53+2 (exact doubles) are kept exactly");
		config_free(&c);
	}
	if (parse_ok(NOFILE("18446744073709549568", "18446744073709551615"), false, &c)) {
		ok(c.attrs.rlimits[0].soft == 18446744073709549568ULL, "2^64-2048 (the largest "
								       "exact double below 2^64) "
								       "is a number, not "
								       "unlimited");
		config_free(&c);
	}
	/* 10^19 = 2^19 * 5^19 is an exact double, but integers are written as integers. */
	if (parse_ok(NOFILE("10000000000000000000", "18446744073709551615"), false, &c)) {
		ok(c.attrs.rlimits[0].soft == 10000000000000000000ULL, "10000000000000000000 is "
								       "kept exactly");
		config_free(&c);
	}
	{
		char *json = q(NOFILE("9.007199254740993e15", "18446744073709551615"));
		struct rterr e = { 0, { 0 } };
		int r = parse_saved(json, strlen(json), false, NCPUS, &c, &e);

		ok(r < 0, "9.007199254740993e15 (2^53+1) is refused, not rounded");
		if (r == 0)
			printf("#   accepted as %llu\n", c.attrs.rlimits[0].soft);
		else
			printf("#   message: %s\n", e.msg);
		config_free(&c);
		free(json);
	}
	if (parse_ok(NOFILE("0", "0"), false, &c)) {
		ok(c.attrs.rlimits[0].soft == 0 && c.attrs.rlimits[0].hard == 0, "0 and 0");
		config_free(&c);
	}
	if (parse_ok(NOFILE("-0", "1000"), false, &c)) {
		ok(c.attrs.rlimits[0].soft == 0 && c.attrs.rlimits[0].hard == 1000, "-0 is 0");
		config_free(&c);
	}
	if (parse_ok(NOFILE("1024", "1024"), false, &c)) {
		ok(c.attrs.rlimits[0].soft == 1024 && c.attrs.rlimits[0].hard == 1024, "soft equal "
										       "to hard");
		config_free(&c);
	}
	if (parse_ok(RL("[]"), false, &c)) {
		ok(c.attrs.nrlimits == 0, "an empty rlimits list");
		config_free(&c);
	}
	if (parse_ok("{" T "," A "}", false, &c)) {
		const struct attrs *a = &c.attrs;
		ok(a->nrlimits == 0 && !a->caps_set && !a->no_new_privs && !a->has_oom_score_adj &&
			   !a->has_ioprio && !a->apparmor_profile && !a->selinux_label,
		   "no attributes given: none set");
		config_free(&c);
	}
}

#define BIT(n) (1ULL << (n))

static void test_capabilities(void)
{
	struct config c;
	struct rterr e = { 0, { 0 } };
	char err[2048];
	int r;

	if (parse_ok(CAPS("{'bounding':['CAP_CHOWN','CAP_KILL','CAP_NET_RAW'],"
			  "'effective':['CAP_KILL'],'permitted':['CAP_KILL','CAP_CHOWN'],"
			  "'inheritable':['CAP_NET_RAW','CAP_KILL'],'ambient':['CAP_KILL']}"),
		     false, &c)) {
		const uint64_t *caps = c.attrs.caps;
		ok(c.attrs.caps_set, "capabilities given");
		ok(caps[CAPS_BOUNDING] == (BIT(0) | BIT(5) | BIT(13)), "bounding: CHOWN KILL "
								       "NET_RAW");
		ok(caps[CAPS_EFFECTIVE] == BIT(5), "effective: KILL");
		ok(caps[CAPS_PERMITTED] == (BIT(0) | BIT(5)), "permitted: CHOWN KILL");
		ok(caps[CAPS_INHERITABLE] == (BIT(5) | BIT(13)), "inheritable: NET_RAW KILL");
		ok(caps[CAPS_AMBIENT] == BIT(5), "ambient: KILL");
		config_free(&c);
	}
	if (parse_ok(CAPS("{}"), false, &c)) {
		const uint64_t *caps = c.attrs.caps;
		ok(c.attrs.caps_set && !caps[0] && !caps[1] && !caps[2] && !caps[3] && !caps[4],
		   "capabilities {}: given, every set empty (all dropped)");
		config_free(&c);
	}
	if (parse_ok(CAPS("{'bounding':['CAP_CHECKPOINT_RESTORE','CAP_CHOWN','CAP_CHOWN']}"), false,
		     &c)) {
		ok(c.attrs.caps[CAPS_BOUNDING] == (BIT(40) | BIT(0)), "CAP_CHECKPOINT_RESTORE is "
								      "40; a name twice is "
								      "harmless");
		config_free(&c);
	}
	r = parse_capturing(CAPS("{'bounding':['CAP_KILL','CAP_FOO'],'ambient':['cap_kill']}"), &c,
			    &e, err, sizeof(err));
	ok(r == 0, "unknown capability names: only a warning, the document is valid");
	if (r == 0) {
		ok(c.attrs.caps[CAPS_BOUNDING] == BIT(5), "unknown name skipped, CAP_KILL kept");
		ok(c.attrs.caps[CAPS_AMBIENT] == 0, "wrong case is unknown: skipped");
		config_free(&c);
	} else {
		printf("#   error: %s\n", e.msg);
	}
	ok(strstr(err, "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\"") != NULL,
	   "warning names the path and the name CAP_FOO");
	ok(strstr(err, "process.capabilities.ambient[0]: unknown capability \"cap_kill\"") != NULL,
	   "warning names the path and the name cap_kill");
	for (char *line = strtok(err, "\n"); line; line = strtok(NULL, "\n"))
		printf("#   warning seen: %s\n", line);
	ok(cap_from_name("CAP_CHOWN") == 0 && cap_from_name("CAP_SYS_RESOURCE") == 24 &&
		   cap_from_name("CAP_BPF") == 39 && cap_from_name("CAP_FOO") == -1,
	   "cap_from_name");
	is_str(cap_name(40), "CAP_CHECKPOINT_RESTORE", "cap_name(40)");
	ok(cap_name(41) == NULL && cap_name(-1) == NULL, "cap_name beyond the table: NULL");
}

static void test_other_attrs(void)
{
	struct config c;

	if (parse_ok(PROC("'noNewPrivileges':true"), false, &c)) {
		ok(c.attrs.no_new_privs, "noNewPrivileges true");
		config_free(&c);
	}
	if (parse_ok(PROC("'noNewPrivileges':false"), false, &c)) {
		ok(!c.attrs.no_new_privs, "noNewPrivileges false");
		config_free(&c);
	}
	if (parse_ok(PROC("'oomScoreAdj':-1000"), false, &c)) {
		ok(c.attrs.has_oom_score_adj && c.attrs.oom_score_adj == -1000, "oomScoreAdj "
										"-1000");
		config_free(&c);
	}
	if (parse_ok(PROC("'oomScoreAdj':1000"), false, &c)) {
		ok(c.attrs.has_oom_score_adj && c.attrs.oom_score_adj == 1000, "oomScoreAdj 1000");
		config_free(&c);
	}
	if (parse_ok(PROC("'oomScoreAdj':0"), false, &c)) {
		ok(c.attrs.has_oom_score_adj && c.attrs.oom_score_adj == 0, "oomScoreAdj 0 is "
									    "given (written), not "
									    "absent");
		config_free(&c);
	}
	if (parse_ok(IOP("{'class':'IOPRIO_CLASS_RT','priority':0}"), false, &c)) {
		ok(c.attrs.has_ioprio && c.attrs.ioprio_class == 1 && c.attrs.ioprio_level == 0,
		   "ioPriority RT 0");
		config_free(&c);
	}
	if (parse_ok(IOP("{'priority':7,'class':'IOPRIO_CLASS_BE'}"), false, &c)) {
		ok(c.attrs.ioprio_class == 2 && c.attrs.ioprio_level == 7, "ioPriority BE 7");
		config_free(&c);
	}
	if (parse_ok(IOP("{'class':'IOPRIO_CLASS_IDLE'}"), false, &c)) {
		ok(c.attrs.has_ioprio && c.attrs.ioprio_class == 3 && c.attrs.ioprio_level == 0,
		   "ioPriority IDLE, no priority: 0");
		config_free(&c);
	}
	ok(ioprio_class_from_name("IOPRIO_CLASS_RT") == 1 &&
		   ioprio_class_from_name("IOPRIO_CLASS_BE") == 2 &&
		   ioprio_class_from_name("IOPRIO_CLASS_IDLE") == 3 &&
		   ioprio_class_from_name("IOPRIO_CLASS_NONE") == -1,
	   "ioprio_class_from_name");
	if (parse_ok(PROC("'apparmorProfile':'docker-default','selinuxLabel':"
			  "'system_u:system_r:container_t:s0:c1,c2'"),
		     false, &c)) {
		is_str(c.attrs.apparmor_profile, "docker-default", "apparmorProfile");
		is_str(c.attrs.selinux_label, "system_u:system_r:container_t:s0:c1,c2",
		       "selinuxLabel");
		config_free(&c);
	}
}

static void test_attrs_together(void)
{
	struct config c;

	if (!parse_ok(PROC("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1024,'hard':4096},"
			   "{'type':'RLIMIT_CORE','soft':0,'hard':18446744073709551615}],"
			   "'capabilities':{'bounding':['CAP_NET_BIND_SERVICE'],"
			   "'permitted':['CAP_NET_BIND_SERVICE'],'effective':['CAP_NET_BIND_"
			   "SERVICE']},"
			   "'noNewPrivileges':true,'oomScoreAdj':100,"
			   "'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':4},"
			   "'apparmorProfile':'p','selinuxLabel':'l',"
			   "'user':{'uid':1,'gid':2,'umask':63,'additionalGids':[3]}"),
		      false, &c))
		return;
	const struct attrs *a = &c.attrs;
	ok(a->nrlimits == 2 && a->rlimits[0].resource == RLIMIT_NOFILE &&
		   a->rlimits[0].soft == 1024 && a->rlimits[0].hard == 4096,
	   "together: RLIMIT_NOFILE 1024/4096");
	ok(a->rlimits[1].resource == RLIMIT_CORE && a->rlimits[1].soft == 0 &&
		   a->rlimits[1].hard == ~0ULL,
	   "together: RLIMIT_CORE 0/unlimited");
	ok(a->caps_set && a->caps[CAPS_BOUNDING] == BIT(10) && a->caps[CAPS_PERMITTED] == BIT(10) &&
		   a->caps[CAPS_EFFECTIVE] == BIT(10) && a->caps[CAPS_INHERITABLE] == 0 &&
		   a->caps[CAPS_AMBIENT] == 0,
	   "together: capabilities");
	ok(a->no_new_privs && a->has_oom_score_adj && a->oom_score_adj == 100, "together: nnp, "
									       "oom");
	ok(a->has_ioprio && a->ioprio_class == 2 && a->ioprio_level == 4, "together: ioPriority");
	ok(a->apparmor_profile && a->selinux_label, "together: LSM labels");
	ok(c.process.uid == 1 && c.process.gid == 2 && c.process.umask == 077 &&
		   c.process.ngroups == 1 && c.process.groups[0] == 3,
	   "together: user uid 1 (not 0), gid 2, umask 077, additionalGids [3]");
	config_free(&c);
	if (parse_ok(USER("'uid':1"), false, &c)) {
		ok(c.process.uid == 1 && c.process.gid == 0, "uid 1 alone is uid 1, gid 0");
		config_free(&c);
	}
}

/* The cgroup.path and cgroup.sub rules, one value at a time (the refusals with their
 * messages are in the table above). */
static void cgroup_value(const char *key, const char *value, const char *want_err)
{
	char json[256], *text;
	struct config c;
	struct rterr e = { 0, { 0 } };
	int r;

	snprintf(json, sizeof(json), "{" T "," A ",'cgroup':{'%s':'%s'}}", key, value);
	text = q(json);
	r = parse_saved(text, strlen(text), false, NCPUS, &c, &e);
	if (want_err == NULL)
		ok(r == 0, "cgroup.%s \"%s\" accepted", key, value);
	else
		ok(r < 0 && strstr(e.msg, want_err), "cgroup.%s \"%s\" refused: %s", key, value,
		   want_err);
	if (r == 0)
		config_free(&c);
	free(text);
}

static void test_cgroup_paths(void)
{
	cgroup_value("sub", "exec", NULL);
	cgroup_value("sub", "a/b/c", NULL);
	cgroup_value("sub", "/a", "must be a relative path");
	cgroup_value("sub", "a/../b", "must not contain \"..\"");
	cgroup_value("sub", "..", "must not contain \"..\"");
	cgroup_value("path", "a/..", "must not contain \"..\"");
	cgroup_value("sub", "a/./b", "must not contain \".\"");
	cgroup_value("sub", "a..b/..c", NULL);
	cgroup_value("path", "/ctr1", NULL);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--corpus") == 0)
		corpus_dir = argv[2];
	test_bad_table();
	test_raw_nul();
	test_too_many_groups();
	test_one_line();
	test_minimal();
	test_target();
	test_start_time_not_rounded();
	test_namespaces();
	test_process();
	test_top_level();
	test_cgroup();
	test_cgroup_paths();
	test_args_given();
	test_layout();
	test_rlimit_out_of_range();
	test_rlimits();
	test_capabilities();
	test_other_attrs();
	test_attrs_together();
	return tap_done();
}
