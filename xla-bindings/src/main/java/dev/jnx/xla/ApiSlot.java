package dev.jnx.xla;

/**
 * The {@code PJRT_Api} function slots the bindings call. Constant names are the C names so
 * that messages and {@code AbiLayoutTest} can use {@link #name()} directly; the index is the
 * slot number, checked against {@code abi.tsv}.
 */
@SuppressWarnings("java:S115") // C names on purpose
enum ApiSlot {
    PJRT_Error_Destroy(0),
    PJRT_Error_Message(1),
    PJRT_Error_GetCode(2),
    PJRT_Plugin_Initialize(3),
    PJRT_Plugin_Attributes(4),
    PJRT_Event_Destroy(5),
    PJRT_Event_IsReady(6),
    PJRT_Event_Error(7),
    PJRT_Event_Await(8),
    PJRT_Event_OnReady(9),
    PJRT_Client_Create(10),
    PJRT_Client_Destroy(11),
    PJRT_Client_PlatformName(12),
    PJRT_Client_ProcessIndex(13),
    PJRT_Client_PlatformVersion(14),
    PJRT_Client_Devices(15),
    PJRT_Client_AddressableDevices(16),
    PJRT_Client_Compile(20),
    PJRT_Client_BufferFromHostBuffer(22),
    PJRT_DeviceDescription_Id(23),
    PJRT_DeviceDescription_ProcessIndex(24),
    PJRT_DeviceDescription_Attributes(25),
    PJRT_DeviceDescription_Kind(26),
    PJRT_DeviceDescription_DebugString(27),
    PJRT_Device_GetDescription(29),
    PJRT_Device_IsAddressable(30),
    PJRT_Device_AddressableMemories(32),
    PJRT_Device_DefaultMemory(33),
    PJRT_Memory_Id(35),
    PJRT_Memory_Kind(36),
    PJRT_Memory_DebugString(37),
    PJRT_Executable_Destroy(40),
    PJRT_Executable_Name(41),
    PJRT_Executable_NumOutputs(44),
    PJRT_Executable_Serialize(49),
    PJRT_LoadedExecutable_Destroy(50),
    PJRT_LoadedExecutable_GetExecutable(51),
    PJRT_LoadedExecutable_AddressableDevices(52),
    PJRT_LoadedExecutable_Execute(55),
    PJRT_Executable_DeserializeAndLoad(56),
    PJRT_Buffer_Destroy(58),
    PJRT_Buffer_ElementType(59),
    PJRT_Buffer_Dimensions(60),
    PJRT_Buffer_GetMemoryLayout(63),
    PJRT_Buffer_OnDeviceSizeInBytes(64),
    PJRT_Buffer_Device(65),
    PJRT_Buffer_Memory(66),
    PJRT_Buffer_Delete(67),
    PJRT_Buffer_IsDeleted(68),
    PJRT_Buffer_CopyToDevice(69),
    PJRT_Buffer_ToHostBuffer(70),
    PJRT_Buffer_ReadyEvent(72),
    PJRT_Executable_OutputElementTypes(90),
    PJRT_Executable_OutputDimensions(91),
    PJRT_Executable_Fingerprint(94);

    final int index;

    ApiSlot(int index) {
        this.index = index;
    }

    /** Byte offset of the function pointer inside {@code PJRT_Api}. */
    long offset() {
        return PjrtLayouts.Api.FIRST_SLOT + 8L * index;
    }
}
