package dev.strata.nn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.ActivityTypeSet;
import org.bytedeco.pytorch.ProfilerConfig;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ActivityType;
import org.bytedeco.pytorch.global.torch.ProfilerState;

/**
 * libtorch's own (Kineto) profiler, {@code torch::autograd::profiler::enableProfiler} / {@code
 * disableProfiler}, the engine behind {@code torch.profiler.profile} in Python.
 *
 * <p>Why the Foreign Function API: the JavaCPP presets map {@code ProfilerConfig}, {@code
 * ActivityTypeSet} and {@code prepareProfiler}, but not {@code enableProfiler}, {@code
 * disableProfiler}, {@code ProfilerResult} or {@code KinetoEvent}. Those are exported by {@code
 * libtorch_cpu.so}, so they are called here by their C++ (Itanium ABI) symbols. Everything is an
 * exported function except three layouts, which are pinned to libtorch 2.10 (read from the
 * disassembly of {@code ~ProfilerResult} in the pinned build) and checked at run time: {@code
 * ProfilerResult::events_} is the {@code std::vector<KinetoEvent>} at offset 8, and {@code
 * sizeof(KinetoEvent)} is 168; {@code std::string} and an empty {@code std::unordered_set} are
 * libstdc++'s.
 *
 * <p>Scope: the profiler is enabled for the calling thread and everything libtorch runs on its
 * behalf: on CPU the autograd engine runs backward on the thread that calls {@code backward()}, and
 * work it hands to other threads carries the profiler in libtorch's thread-local state. Ops issued
 * from other Java threads are not recorded. A C++ exception must never cross these calls (it would
 * abort the JVM), so every precondition libtorch checks is checked here first.
 */
public final class Profiler {
  private Profiler() {}

  /** One recorded op or annotation: its name, the libtorch thread id, and its wall-clock span. */
  public record Event(String name, long threadId, long startNs, long endNs) {
    public long durationNs() {
      return endNs - startNs;
    }
  }

  // ProfilerResult { uint64_t trace_start_ns_; std::vector<KinetoEvent> events_; … }
  private static final long EVENTS_OFFSET = 8;
  private static final long KINETO_EVENT_SIZE = 168; // sizeof(KinetoEvent) in libtorch 2.10
  private static final long STD_STRING_SIZE =
      32; // libstdc++: char* data; size_t size; char buf[16]
  private static final long UNORDERED_SET_SIZE = 56; // libstdc++ _Hashtable
  private static final byte DEVICE_CPU = 0; // c10::DeviceType::CPU

  private static final String PROFILER = "_ZN5torch8autograd8profiler";
  private static final String EVENT = "_ZNK5torch8autograd8profiler11KinetoEvent";

  private static final SymbolLookup LIBTORCH = libtorch();
  private static final MethodHandle ENABLE =
      function(
          PROFILER
              + "14enableProfilerERKNS_8profiler4impl14ProfilerConfig"
              + "ERKSt3setINS3_12ActivityTypeESt4lessIS8_ESaIS8_EE"
              + "RKSt13unordered_setIN2at11RecordScopeESt4hashISH_ESt8equal_toISH_ESaISH_EE",
          FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
  // std::unique_ptr<ProfilerResult> is returned through a hidden pointer (it has a destructor).
  private static final MethodHandle DISABLE =
      function(PROFILER + "15disableProfilerEv", FunctionDescriptor.ofVoid(ADDRESS));
  private static final MethodHandle DESTROY_RESULT =
      function(PROFILER + "14ProfilerResultD1Ev", FunctionDescriptor.ofVoid(ADDRESS));
  private static final MethodHandle NAME =
      function(EVENT + "4nameB5cxx11Ev", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
  private static final MethodHandle THREAD_ID =
      function(EVENT + "13startThreadIdEv", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
  private static final MethodHandle START_NS =
      function(EVENT + "7startNsEv", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
  private static final MethodHandle END_NS =
      function(EVENT + "5endNsEv", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
  private static final MethodHandle IS_ASYNC =
      function(EVENT + "7isAsyncEv", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
  private static final MethodHandle DEVICE_TYPE =
      function(EVENT + "10deviceTypeEv", FunctionDescriptor.of(JAVA_BYTE, ADDRESS));
  private static final MethodHandle OPERATOR_DELETE =
      function("_ZdlPv", FunctionDescriptor.ofVoid(ADDRESS));

  /** Starts recording every op this thread runs; throws if a profiler is already on. */
  public static void start() {
    String version = torch.class.getPackage().getImplementationVersion();
    if (version != null && !version.startsWith("2.10.")) {
      throw new IllegalStateException(
          "the profiler reads libtorch 2.10's ProfilerResult layout; the presets are " + version);
    }
    if (torch.profilerEnabled()) {
      throw new IllegalStateException("a libtorch profiler is already on in this thread");
    }
    try (ProfilerConfig config = new ProfilerConfig(ProfilerState.KINETO);
        ActivityTypeSet activities = new ActivityTypeSet();
        Arena arena = Arena.ofConfined()) {
      activities.insert(ActivityType.CPU);
      torch.prepareProfiler(config, activities);
      ENABLE.invokeExact(
          MemorySegment.ofAddress(config.address()),
          MemorySegment.ofAddress(activities.address()),
          emptyUnorderedSet(arena)); // no RecordScope filter: record every scope
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Stops the profiler started by {@link #start} and returns the CPU events it recorded. */
  public static List<Event> stop() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment resultHolder = arena.allocate(ADDRESS);
      DISABLE.invokeExact(resultHolder);
      MemorySegment result =
          resultHolder.get(ADDRESS, 0).reinterpret(EVENTS_OFFSET + 3 * ADDRESS.byteSize());
      try {
        return events(result, arena);
      } finally {
        DESTROY_RESULT.invokeExact(result);
        OPERATOR_DELETE.invokeExact(result);
      }
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static List<Event> events(MemorySegment result, Arena arena) throws Throwable {
    long begin = result.get(JAVA_LONG, EVENTS_OFFSET);
    long end = result.get(JAVA_LONG, EVENTS_OFFSET + 8);
    long capacity = result.get(JAVA_LONG, EVENTS_OFFSET + 16);
    if (end < begin
        || capacity < end
        || (end - begin) % KINETO_EVENT_SIZE != 0
        || (capacity - begin) % KINETO_EVENT_SIZE != 0) {
      throw new IllegalStateException("ProfilerResult does not have libtorch 2.10's layout");
    }
    MemorySegment name = arena.allocate(STD_STRING_SIZE, 8);
    List<Event> events = new ArrayList<>();
    for (long at = begin; at < end; at += KINETO_EVENT_SIZE) {
      MemorySegment event = MemorySegment.ofAddress(at);
      boolean async = (boolean) IS_ASYNC.invokeExact(event);
      if (async || (byte) DEVICE_TYPE.invokeExact(event) != DEVICE_CPU) continue;
      NAME.invokeExact(name, event);
      events.add(
          new Event(
              takeString(name),
              (long) THREAD_ID.invokeExact(event),
              (long) START_NS.invokeExact(event),
              (long) END_NS.invokeExact(event)));
    }
    return events;
  }

  /** Reads a returned {@code std::string} and frees its heap buffer (when it is not inline). */
  private static String takeString(MemorySegment s) throws Throwable {
    MemorySegment data = s.get(ADDRESS, 0);
    long size = s.get(JAVA_LONG, 8);
    String text = new String(data.reinterpret(size).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    if (data.address() != s.address() + 16) OPERATOR_DELETE.invokeExact(data);
    return text;
  }

  /** A default-constructed libstdc++ {@code std::unordered_set}: one empty inline bucket. */
  private static MemorySegment emptyUnorderedSet(Arena arena) {
    MemorySegment set = arena.allocate(UNORDERED_SET_SIZE, 8); // zero-filled
    set.set(ADDRESS, 0, set.asSlice(48)); // _M_buckets = &_M_single_bucket
    set.set(JAVA_LONG, 8, 1); // _M_bucket_count
    set.set(JAVA_FLOAT, 32, 1.0f); // _M_rehash_policy._M_max_load_factor
    return set;
  }

  /** libtorch_cpu's symbols, looked up through the JNI library that links it (and libstdc++). */
  private static SymbolLookup libtorch() {
    return SymbolLookup.libraryLookup(Path.of(Loader.load(torch.class)), Arena.global());
  }

  private static MethodHandle function(String symbol, FunctionDescriptor descriptor) {
    return Linker.nativeLinker().downcallHandle(LIBTORCH.findOrThrow(symbol), descriptor);
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
