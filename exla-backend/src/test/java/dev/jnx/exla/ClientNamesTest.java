package dev.jnx.exla;

import dev.jnx.exla.ClientNames.Label;
import dev.jnx.exla.ClientNames.Named;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The naming rule for PJRT clients: meaningful, and unique among the clients named so far. */
class ClientNamesTest {
    static final Path A = Path.of("/opt/a/xla_cuda_plugin.so"), B = Path.of("/opt/b/xla_cuda_plugin.so");
    static final Path CPU = Path.of("/jnx/libjnx_pjrt_cpu.so");

    @Test
    void theFirstClientOfAPlatformIsThePlatform() {
        Label cuda = ClientNames.choose("cuda", A, "", 1, List.of());
        assertEquals("exla(cuda:0)", cuda.device(0));
        assertEquals("exla(cuda:1)", cuda.device(1));
        assertEquals("exla(cuda)", cuda.toString());
    }

    @Test
    void createOptionsTellClientsOfOnePluginApart() {
        List<Named> named = List.of(new Named("cpu", CPU, ClientNames.DEFAULT_CPU));
        assertEquals("exla(cpu:1, cpu_device_count=2)", ClientNames.choose("cpu", CPU, "cpu_device_count=2", 2, named).device(1));
    }

    @Test
    void aSecondPluginOfAPlatformIsNamedByItsFile() {
        List<Named> named = List.of(new Named("cuda", A, new Label("cuda", "")));
        assertEquals("exla(cuda:0, /opt/b/xla_cuda_plugin.so)", ClientNames.choose("cuda", B, "", 2, named).device(0));
        assertEquals("exla(cuda:0, preallocate=false, /opt/b/xla_cuda_plugin.so)",
                ClientNames.choose("cuda", B, "preallocate=false", 2, named).device(0));
    }

    @Test
    void theDefaultCpuNameIsReservedEvenBeforeItsClientExists() {
        assertEquals("exla(cpu:0, /jnx/libjnx_pjrt_cpu.so)", ClientNames.choose("cpu", CPU, "", 1, List.of()).device(0));
    }

    @Test
    void anOrdinalSeparatesClientsNothingElseDoes() {
        List<Named> named = List.of(new Named("cpu", CPU, ClientNames.DEFAULT_CPU),
                new Named("cpu", CPU, new Label("cpu", CPU.toString())));
        assertEquals("exla(cpu:0, /jnx/libjnx_pjrt_cpu.so, client 3)", ClientNames.choose("cpu", CPU, "", 3, named).device(0));
        List<Named> same = List.of(new Named("cuda", A, new Label("cuda", "")));
        assertEquals("exla(cuda:0, /opt/a/xla_cuda_plugin.so)", ClientNames.choose("cuda", A, "", 2, same).device(0));
    }
}
